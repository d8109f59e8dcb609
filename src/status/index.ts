export * from './frame-svg.js';
export * from './led-player.js';
export * from './leds.js';
export * from './model.js';
export * from './raster.js';
export * from './screen.js';
export * from './screen-updater.js';
export * from './text.js';
