// Vue single-file components are typed by vue-tsc; this only lets plain .ts files import them.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
