// HANDLERS module for the benchmark: one no-op async handler for every event type (plain JS, so dist can load it).
export default (receiver) => {
  receiver.on("*", async () => {});
};
