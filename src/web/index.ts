export * from './box-status-source.js';
export * from './capture-detail.js';
export {
  CaptureEditor,
  type EditOutcome,
  type MountedVault,
  type PickCopiesOutcome,
} from './capture-editor.js';
export * from './config.js';
export { galleryPage, type GalleryPage, type GalleryQuery, type Tile } from './gallery.js';
export * from './mounted-vaults.js';
export * from './pairing.js';
export { BODY_LIMIT, WebServer, type WebServerOptions } from './server.js';
export * from './status-source.js';
export * from './status-view.js';
export { THUMB_PX, Thumbnails, type ThumbSize } from './thumbnails.js';
export { LABELS, sidecarXml } from './xmp-sidecar.js';
