// A HANDLERS module for process tests: appends each handled event, as one JSON line, to $EVENTS_FILE.
import { appendFileSync } from "node:fs";
import process from "node:process";

export default (receiver) => {
  receiver.on("*", (event) => {
    appendFileSync(process.env.EVENTS_FILE, `${JSON.stringify(event)}\n`);
  });
};
