export * from './byte-reader.js';
export * from './detect.js';
export * from './formats.js';
export { boxesIn, childBoxes, type Box } from './bmff-reader.js';
export { TiffReader, type Ifd, type IfdEntry } from './tiff-reader.js';
