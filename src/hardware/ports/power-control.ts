/** Turns the box off (on the device: `systemctl poweroff`; the UPS then cuts power). */
export interface PowerControl {
  powerOff(reason: string): Promise<void>;
}
