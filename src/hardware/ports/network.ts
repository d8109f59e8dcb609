/**
 * The Wi-Fi the box is on. NetworkManager or wpa_supplicant on the device; a scripted one in
 * tests and the simulator.
 */
export interface NetworkState {
  /** The SSID of the Wi-Fi network the box is connected to now, or undefined when it is on none. */
  currentSsid(): Promise<string | undefined>;
}
