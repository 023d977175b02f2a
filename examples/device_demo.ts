// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The device demo (`deno task demo`): what an AosCore unit does when the
 * cloud asks it to run a new service, with every module doing its part.
 * Everything runs on 127.0.0.1 in a temporary directory, removed at the end
 * unless `--keep` is given. Each step lives in `_demo/step_*.ts`; the exit
 * code is 1 when a step that ran failed.
 *
 * @module
 */
import process from "node:process";
import { DemoContext } from "./_demo/context.ts";
import { runSteps } from "./_demo/runner.ts";
import { cloudStep } from "./_demo/step_cloud.ts";
import { identityStep } from "./_demo/step_identity.ts";
import { imageStep } from "./_demo/step_image.ts";
import { installStep } from "./_demo/step_install.ts";
import { logStep } from "./_demo/step_logs.ts";
import { monitoringStep } from "./_demo/step_monitoring.ts";
import { networkStep } from "./_demo/step_network.ts";
import { reportStep } from "./_demo/step_report.ts";
import { formatSeconds, header, say, summaryTable } from "./_demo/ui.ts";

if (process.argv[2] === "--net-peer") {
  // The compiled demo is its own TCP peer inside step 6's namespaces.
  const { runPeer } = await import("./_demo/net_peer.ts");
  await runPeer(process.argv.slice(3));
}

const started = performance.now();
const keep = process.argv.includes("--keep");
let failed = 0;
let workDir = "";
say("aos-common device demo: the cloud asks a unit to install and run a service");
{
  await using ctx = await DemoContext.create(keep);
  workDir = ctx.workDir;
  say(`working in ${workDir}`);

  const rows = await runSteps(ctx, [
    cloudStep,
    identityStep,
    imageStep,
    installStep,
    reportStep,
    networkStep,
    monitoringStep,
    logStep,
  ]);

  header(rows.length + 1, "summary");
  summaryTable(rows);
  failed = rows.filter((r) => r.status === "FAIL").length;
  const skipped = rows.filter((r) => r.status === "skip").length;
  say(
    `${rows.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped ` +
      `in ${formatSeconds(performance.now() - started)}`,
  );
}
say(keep ? `kept ${workDir}` : `removed ${workDir}`);
// A failed step may leave work behind (a request never answered): it must not keep the demo alive.
if (failed > 0) process.exit(1);
