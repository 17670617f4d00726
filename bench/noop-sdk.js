// An SDK stand-in whose open() does nothing: what launching costs without the SDK's own work.
window.SmileLinkModal = class {
  open() {}
};
