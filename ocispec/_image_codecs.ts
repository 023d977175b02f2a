// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Codecs of the image index, manifest and config.
import { formatTimestamp } from "../utils/time.ts";
import {
  descriptorToJSON,
  isZeroTime,
  type JsonOut,
  keysToJSON,
  nonEmpty,
  parseDescriptor,
  parsePlatform,
  putPlatform,
  toDigest,
} from "./_common.ts";
import type { Codec } from "./_files.ts";
import { toObject } from "./_reader.ts";
import type { ImageConfig, ImageIndex, ImageManifest, IndexContentDescriptor } from "./types.ts";

export const imageIndexCodec: Codec<ImageIndex> = {
  doc: "image index",
  read(obj) {
    const out: ImageIndex = {
      schemaVersion: obj.integer("schemaVersion", "int64") ?? 0,
      mediaType: obj.string("mediaType", "mediaType") ?? "",
      manifests: obj.list("manifests", "manifests", (value, pointer) => {
        const entry = toObject(obj.ctx, value, pointer);
        const descriptor: IndexContentDescriptor = parseDescriptor(entry);
        const platform = entry.object("platform");
        if (platform !== undefined) descriptor.platform = parsePlatform(platform);
        return descriptor;
      }) ?? [],
    };
    const artifactType = obj.string("artifactType", "mediaType");
    if (artifactType !== undefined) out.artifactType = artifactType;
    return out;
  },
  toJSON(v) {
    const out: JsonOut = { schemaVersion: v.schemaVersion, mediaType: v.mediaType };
    if (nonEmpty(v.artifactType)) out.artifactType = v.artifactType;
    if (nonEmpty(v.manifests)) {
      out.manifests = v.manifests.map((m) => {
        const entry = descriptorToJSON(m);
        if (m.platform !== undefined) entry.platform = putPlatform({}, m.platform);
        return entry;
      });
    }
    return out;
  },
};

export const imageManifestCodec: Codec<ImageManifest> = {
  doc: "image manifest",
  read(obj) {
    const config = obj.object("config");
    const out: ImageManifest = {
      schemaVersion: obj.integer("schemaVersion", "int64") ?? 0,
      config: config === undefined
        ? { mediaType: "", digest: "", size: 0 }
        : parseDescriptor(config),
      layers: obj.list("layers", "layers", (v, p) => parseDescriptor(toObject(obj.ctx, v, p))) ??
        [],
    };
    const itemConfig = obj.object("aosItemConfig");
    if (itemConfig !== undefined) out.itemConfig = parseDescriptor(itemConfig);
    return out;
  },
  toJSON(v) {
    const out: JsonOut = { schemaVersion: v.schemaVersion, config: descriptorToJSON(v.config) };
    if (v.itemConfig !== undefined) out.aosItemConfig = descriptorToJSON(v.itemConfig);
    if (nonEmpty(v.layers)) out.layers = v.layers.map(descriptorToJSON);
    return out;
  },
};

export const imageConfigCodec: Codec<ImageConfig> = {
  doc: "image config",
  read(obj) {
    const process = obj.object("config");
    const rootfs = obj.object("rootfs");
    const out: ImageConfig = {
      ...parsePlatform(obj),
      author: obj.string("author", "author") ?? "",
      config: {
        exposedPorts: process?.keys("exposedPorts", "exposedPorts", "exposedPort") ?? [],
        env: process?.strings("env", "env", "envVar") ?? [],
        entrypoint: process?.strings("entrypoint", "args", "arg") ?? [],
        cmd: process?.strings("cmd", "args", "arg") ?? [],
        workingDir: process?.string("workingDir", "path") ?? "",
      },
      rootfs: {
        type: rootfs?.string("type", "rootfsType") ?? "",
        diffIds: rootfs?.list("diff_ids", "layers", (v, p) => toDigest(obj.ctx, v, p)) ?? [],
      },
    };
    const created = obj.timestamp("created");
    if (created !== undefined) out.created = created;
    return out;
  },
  toJSON(v) {
    const out: JsonOut = {};
    if (v.created !== undefined && !isZeroTime(v.created)) out.created = formatTimestamp(v.created);
    if (nonEmpty(v.author)) out.author = v.author;
    putPlatform(out, v);
    const { exposedPorts, env, entrypoint, cmd, workingDir } = v.config;
    const config: JsonOut = {};
    if (nonEmpty(exposedPorts)) config.exposedPorts = keysToJSON(exposedPorts);
    if (nonEmpty(env)) config.env = [...env];
    if (nonEmpty(entrypoint)) config.entrypoint = [...entrypoint];
    if (nonEmpty(cmd)) config.cmd = [...cmd];
    if (nonEmpty(workingDir)) config.workingDir = workingDir;
    if (Object.keys(config).length > 0) out.config = config;
    const rootfs: JsonOut = {};
    if (nonEmpty(v.rootfs.type)) rootfs.type = v.rootfs.type;
    if (nonEmpty(v.rootfs.diffIds)) rootfs.diff_ids = [...v.rootfs.diffIds];
    if (Object.keys(rootfs).length > 0) out.rootfs = rootfs;
    return out;
  },
};
