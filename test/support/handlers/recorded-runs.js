// A HANDLERS module for process tests: appends "start <event id> <pid>" to $RUNS_FILE when a run
// begins and "done <event id> <pid>" when it ends; with HOLD_RUNS=1 a run never ends (the test kills it).
import { appendFileSync } from "node:fs";
import process from "node:process";

export default (receiver) => {
  receiver.on("*", async (event) => {
    appendFileSync(process.env.RUNS_FILE, `start ${event.id} ${process.pid}\n`);
    if (process.env.HOLD_RUNS === "1") await new Promise(() => undefined);
    appendFileSync(process.env.RUNS_FILE, `done ${event.id} ${process.pid}\n`);
  });
};
