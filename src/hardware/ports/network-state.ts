/** Which network the box is on: what the sync region needs to decide "home". */
export interface NetworkInfo {
  /** The Wi-Fi network joined, if any. */
  readonly ssid?: string;
  /** Whether any link with an address is up (Wi-Fi or Ethernet). */
  readonly online: boolean;
}

export interface NetworkState {
  current(): Promise<NetworkInfo>;
  /** Calls `listener` on every change; returns `stop`. */
  watch(listener: (info: NetworkInfo) => void): () => void;
}
