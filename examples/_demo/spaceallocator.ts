// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Demo step: an image store with a disk budget. Installing a new image
 * version evicts the outdated one; an image that cannot fit is refused
 * before anything is deleted.
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calculateSize, LinuxFSPlatform } from "../../utils/mod.ts";
import { AosError } from "../../utils/errors.ts";
import { PartitionRegistry, SpaceAllocator } from "../../spaceallocator/mod.ts";

const MiB = 1024 * 1024;

/** A 16 MiB partition simulated over a real directory: real files, real sizes. */
class SimulatedPartition extends LinuxFSPlatform {
  readonly #root: string;
  constructor(root: string) {
    super();
    this.#root = root;
  }
  override getMountPoint(): Promise<string> {
    return Promise.resolve(this.#root);
  }
  override getTotalSize(): Promise<number> {
    return Promise.resolve(16 * MiB);
  }
  override async getAvailableSize(): Promise<number> {
    return 16 * MiB - await calculateSize(this.#root);
  }
}

/** Runs the image store demo. */
export async function spaceallocatorDemo(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "aos-demo-images-"));
  const images = join(root, "images");
  try {
    const store = await SpaceAllocator.create({
      path: images,
      platformFS: new SimulatedPartition(root),
      registry: new PartitionRegistry(),
      limitPercent: 50,
      remover: {
        async removeItem(id, version) {
          const file = join(images, `${id}-${version}`);
          const size = await calculateSize(file);
          await rm(file);
          return size;
        },
      },
    });
    store.addEventListener("evicted", (event) => {
      console.log(`evicted ${event.id} ${event.version}: ${event.size / MiB} MiB freed`);
    });
    console.log(`image budget: ${store.sizeLimit / MiB} MiB (50 % of a 16 MiB partition)`);

    const install = async (id: string, version: string, size: number) => {
      using space = await store.allocateSpace(size);
      await writeFile(join(images, `${id}-${version}`), new Uint8Array(size));
      space.accept();
      console.log(`installed ${id} ${version} (${size / MiB} MiB)`);
    };
    await install("nginx", "1.0", 3 * MiB);
    await install("redis", "7.2", 3 * MiB);
    await store.addOutdatedItem("nginx", "1.0", new Date(), 3 * MiB);
    console.log("nginx 1.0 is outdated once 1.1 arrives");
    await install("nginx", "1.1", 3 * MiB);

    await store.addOutdatedItem("redis", "7.2", new Date(), 3 * MiB);
    const check = await store.canAllocate(9 * MiB);
    console.log(
      `a 9 MiB image: ${check.verdict} (${check.allocatorShortfall / MiB} MiB short, ` +
        "evicting redis 7.2 would free only 3)",
    );
    try {
      await install("postgres", "16", 9 * MiB);
    } catch (err) {
      console.log(`refused, redis 7.2 kept: ${AosError.from(err).message}`);
    }
    const status = await store.status();
    console.log(`in use: ${status.allocated! / MiB} of ${status.sizeLimit / MiB} MiB`);
    await store.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
