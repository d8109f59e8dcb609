/**
 * A simulated PTP/IP camera, by hand:
 *   npm run mock:camera -- --ptpip 127.0.0.1:15740 --images DIR --shoot DIR [--vendor generic|canon|nikon|sony]
 * It serves DIR's files as its card and announces every file dropped into the shoot folder as
 * a new capture. gphoto2 talks to it with --port ptpip:127.0.0.1 --camera "PTP/IP Camera".
 */
import { parseArgs } from 'node:util';
import { SimulatedCamera, type VendorStyle } from './camera.js';
import { PtpIpCameraServer } from './ptpip-server.js';
import { watchShootFolder } from './shoot-folder.js';

const { values } = parseArgs({
  options: {
    ptpip: { type: 'string', default: '127.0.0.1:15740' },
    images: { type: 'string' },
    shoot: { type: 'string' },
    vendor: { type: 'string', default: 'generic' },
    model: { type: 'string' },
    serial: { type: 'string' },
  },
});
const [host = '127.0.0.1', port = '15740'] = (values.ptpip ?? '').split(':');
const vendor = values.vendor as VendorStyle;
if (!['generic', 'canon', 'nikon', 'sony'].includes(vendor)) {
  console.error(`--vendor must be generic, canon, nikon or sony`);
  process.exit(2);
}
const camera = new SimulatedCamera({
  vendor,
  ...(values.model === undefined ? {} : { model: values.model }),
  ...(values.serial === undefined ? {} : { serial: values.serial }),
});
if (values.images !== undefined) await camera.loadImages(values.images);
const server = await PtpIpCameraServer.start(camera, { host, port: Number(port) });
const stopWatching =
  values.shoot === undefined ? () => undefined : watchShootFolder(camera, values.shoot);
console.log(`PTP/IP camera "${camera.model}" (${vendor}) on ${server.host}:${server.port}`);
const stop = (): void => {
  stopWatching();
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
