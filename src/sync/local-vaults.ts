import type { Catalog } from '../catalog/index.js';
import { errorMessage } from '../core/index.js';
import { Vault } from '../vault/index.js';

/**
 * The box's SSD vaults to read from: the roots given, else every vault the catalog knows at
 * the root it was last seen at. One that is not there is reported and left out.
 */
export async function openLocalVaults(
  catalog: Catalog,
  roots: readonly string[] | undefined,
  onMissing: (root: string, why: string) => void,
): Promise<Vault[]> {
  const wanted = roots ?? [...catalog.allVaults()].map((v) => v.lastRoot);
  const vaults: Vault[] = [];
  for (const root of wanted) {
    try {
      const vault = await Vault.open(root);
      if (!vaults.some((v) => v.id === vault.id)) vaults.push(vault);
    } catch (err) {
      onMissing(root, errorMessage(err));
    }
  }
  return vaults;
}
