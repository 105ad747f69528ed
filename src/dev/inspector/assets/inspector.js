// The dev inspector's page script: the live list (an event stream read with fetch, so the dev
// token travels in a header), filters, the detail view and the actions. No build step, no library.
"use strict";

(() => {
  const token = new URLSearchParams(location.hash.slice(1)).get("token") ?? "";
  const headers = { "x-dev-token": token };
  /** Summaries by number; the list shows them newest first. */
  const deliveries = new Map();
  let selected = undefined;
  const $ = (id) => document.getElementById(id);
  const rows = $("rows");

  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) node.append(child);
    return node;
  };

  const say = (text) => ($("action-status").textContent = text);
  const connection = (text) => ($("connection").textContent = text);

  async function api(path, init = {}) {
    const response = await fetch(`api/${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
    if (response.status === 401 || response.status === 403) {
      connection("Refused: open the inspector URL that dev printed (it carries the dev token after #token=).");
      throw new Error("refused");
    }
    return response;
  }

  const outcomeClass = (delivery) =>
    delivery.status < 300 ? (delivery.outcome === "duplicate" || delivery.outcome === "ignored" ? "soft" : "good") : delivery.status < 500 ? "bad" : "soft";
  const time = (ms) => {
    const date = new Date(ms);
    return `${date.toLocaleTimeString([], { hour12: false })}.${String(date.getMilliseconds()).padStart(3, "0")}`;
  };

  function matches(delivery) {
    const type = $("filter-type").value;
    const outcome = $("filter-outcome").value;
    const search = $("search").value.trim().toLowerCase();
    if (type !== "" && delivery.type !== type) return false;
    if (outcome !== "" && delivery.outcome !== outcome) return false;
    if (search === "") return true;
    return [delivery.eventId, delivery.deliveryId, `#${delivery.seq}`].some((id) => typeof id === "string" && id.toLowerCase().includes(search));
  }

  function row(delivery) {
    const open = el("button", { type: "button", class: "open", "aria-label": `Show delivery ${delivery.seq}` }, `#${delivery.seq}`);
    open.addEventListener("click", (event) => {
      event.stopPropagation();
      void show(delivery.seq, true);
    });
    const outcome = el("td", { "data-label": "Outcome", class: `outcome ${outcomeClass(delivery)}` }, delivery.outcome);
    if (!delivery.verified) outcome.append(el("span", { class: "badge" }, "not verified"));
    const tr = el(
      "tr",
      { "data-seq": String(delivery.seq), "data-outcome": delivery.outcome, "data-type": delivery.type ?? "" },
      el("td", { "data-label": "#", class: "nowrap" }, open),
      el("td", { "data-label": "Time", class: "nowrap" }, time(delivery.time)),
      el("td", { "data-label": "Type" }, delivery.type ?? "—"),
      el("td", { "data-label": "Event id", class: "id" }, delivery.eventId ?? "—"),
      el("td", { "data-label": "Delivery id", class: "id" }, delivery.deliveryId ?? "—"),
      outcome,
      el("td", { "data-label": "HTTP" }, String(delivery.status)),
      el("td", { "data-label": "ms", class: "nowrap" }, delivery.durationMs.toFixed(1)),
      el("td", { "data-label": "Handlers" }, delivery.handlers),
    );
    if (delivery.seq === selected) tr.setAttribute("aria-current", "true");
    tr.addEventListener("click", () => void show(delivery.seq, false));
    return tr;
  }

  function fillSelect(select, values) {
    const current = select.value;
    const known = new Set([...select.options].map((option) => option.value));
    for (const value of [...values].sort()) if (!known.has(value)) select.append(el("option", { value }, value));
    select.value = current;
  }

  function render() {
    const all = [...deliveries.values()].sort((a, b) => b.seq - a.seq);
    fillSelect($("filter-type"), new Set(all.map((d) => d.type).filter((type) => type !== undefined)));
    fillSelect($("filter-outcome"), new Set(all.map((d) => d.outcome)));
    const shown = all.filter(matches);
    rows.replaceChildren(...shown.map(row));
    $("count").textContent = shown.length === all.length ? `(${all.length})` : `(${shown.length} of ${all.length})`;
    $("empty").hidden = all.length > 0;
  }

  function jsonTree(value, key) {
    const label = key === undefined ? [] : [el("span", { class: "key" }, JSON.stringify(key)), ": "];
    if (value !== null && typeof value === "object") {
      const entries = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
      const size = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
      const children = el("ul", {}, ...entries.map(([k, v]) => jsonTree(v, k)));
      return el("li", {}, el("details", { open: "" }, el("summary", {}, ...label, size), children));
    }
    const kind = value === null ? "null" : typeof value;
    return el("li", {}, ...label, el("span", { class: kind }, JSON.stringify(value)));
  }

  function renderBody(delivery) {
    const target = $("detail-body");
    if (delivery.body === undefined) return target.replaceChildren(el("p", { class: "hint" }, "No body: refused before it was read."));
    const note = delivery.bodyTruncated ? [el("p", { class: "hint" }, "Cut: only the first 256 KB were kept.")] : [];
    if (delivery.verified && delivery.bodyEncoding === "utf8" && !delivery.bodyTruncated) {
      try {
        return target.replaceChildren(el("ul", { class: "tree", "aria-label": "Event body" }, jsonTree(JSON.parse(delivery.body))));
      } catch {
        // not JSON: shown as text below
      }
    }
    const label = delivery.bodyEncoding === "base64" ? "Body (base64, not UTF-8)" : "Body as received";
    target.replaceChildren(...note, el("pre", { "aria-label": label }, delivery.body));
  }

  async function show(seq, focus) {
    const response = await api(`deliveries/${seq}`);
    if (!response.ok) return say(`Delivery #${seq} is gone (cleared or no longer kept).`);
    const delivery = await response.json();
    selected = seq;
    for (const tr of rows.children) {
      if (tr.dataset.seq === String(seq)) tr.setAttribute("aria-current", "true");
      else tr.removeAttribute("aria-current");
    }
    $("detail").hidden = false;
    $("detail").dataset.seq = String(seq);
    $("detail-title").textContent = `Delivery #${seq}${delivery.type === undefined ? "" : `: ${delivery.type}`}`;
    $("detail-summary").textContent = `${delivery.outcome}, HTTP ${delivery.status}, ${delivery.durationMs.toFixed(1)} ms, handlers: ${delivery.handlers}`;
    $("verified-note").hidden = delivery.verified;
    $("detail-headers").tBodies[0].replaceChildren(
      ...Object.entries(delivery.headers).map(([name, value]) => el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, value))),
    );
    renderBody(delivery);
    $("detail-answer").textContent = JSON.stringify(delivery.answer, null, 2);
    $("detail-logs").replaceChildren(
      ...(delivery.logs.length === 0
        ? [el("li", {}, "No log lines for this delivery.")]
        : delivery.logs.map((line) => el("li", {}, `${time(line.time)} ${line.msg} ${Object.keys(line.fields).length === 0 ? "" : JSON.stringify(line.fields)}`))),
    );
    const replayable = delivery.body !== undefined && !delivery.bodyTruncated;
    $("replay").disabled = !replayable;
    $("replay-new").disabled = !replayable || !delivery.verified;
    if (focus) $("detail-title").focus();
  }

  async function act(path, init, what) {
    say(`${what}…`);
    try {
      const response = await api(path, { method: "POST", ...init });
      const result = await response.json();
      if (!response.ok) return say(`${what} failed: ${result.message ?? result.error}`);
      const answer = result.answer ?? {};
      say(`${what}: HTTP ${result.status} ${answer.status ?? answer.error ?? ""}`);
    } catch (error) {
      say(`${what} failed: ${error.message}`);
    }
  }

  /** New rows since the last announcement: the list is redrawn whole, so screen readers hear this line instead. */
  let unannounced = [];
  let announcing = undefined;
  function announce(delivery) {
    unannounced.push(delivery);
    announcing ??= setTimeout(() => {
      const latest = unannounced[unannounced.length - 1];
      const count = unannounced.length === 1 ? "New delivery" : `${unannounced.length} new deliveries, latest`;
      $("live").textContent = `${count}: ${latest.type ?? "unknown type"}, ${latest.outcome}, HTTP ${latest.status}`;
      unannounced = [];
      announcing = undefined;
    }, 500);
  }

  function onEvent(name, data) {
    if (name === "clear") {
      deliveries.clear();
      $("detail").hidden = true;
      selected = undefined;
      $("live").textContent = "List cleared";
    } else if (name === "delivery") {
      if (!deliveries.has(data.seq)) announce(data);
      deliveries.set(data.seq, data);
    }
    render();
  }

  /** Reads the event stream; reconnects after a pause when it ends. */
  async function follow() {
    for (;;) {
      try {
        const response = await api("stream");
        const listed = await api("deliveries");
        for (const delivery of (await listed.json()).deliveries) deliveries.set(delivery.seq, delivery);
        render();
        connection("Live");
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const name = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (name !== undefined && data !== undefined) onEvent(name, JSON.parse(data));
          }
        }
        connection("Disconnected: reconnecting…");
      } catch (error) {
        if (error.message === "refused") return;
        connection("Disconnected: reconnecting…");
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  async function loadFixtures() {
    const response = await api("fixtures");
    const { fixtures, templates = [] } = await response.json();
    const select = $("fixture");
    select.replaceChildren(
      el("optgroup", { label: "Fixtures" }, ...fixtures.map((fixture, index) => el("option", { value: `fixture:${index}` }, fixture.name))),
      el("optgroup", { label: "Templates (a new event id each time)" }, ...templates.map((type) => el("option", { value: `template:${type}` }, `${type} (new id)`))),
    );
    $("send-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const [kind, key] = [select.value.slice(0, select.value.indexOf(":")), select.value.slice(select.value.indexOf(":") + 1)];
      if (kind === "template") {
        void act(`trigger/${encodeURIComponent(key)}`, {}, `Send a new ${key}`);
        return;
      }
      const fixture = fixtures[Number(key)];
      if (fixture !== undefined) void act("send", { body: JSON.stringify(fixture.event), headers: { "content-type": "application/json" } }, `Send ${fixture.name}`);
    });
  }

  for (const id of ["filter-type", "filter-outcome"]) $(id).addEventListener("change", render);
  $("search").addEventListener("input", render);
  $("clear").addEventListener("click", () => void api("deliveries", { method: "DELETE" }).then(() => say("List cleared.")));
  $("replay").addEventListener("click", () => void act(`deliveries/${$("detail").dataset.seq}/replay`, {}, "Replay"));
  $("replay-new").addEventListener("click", () => void act(`deliveries/${$("detail").dataset.seq}/replay-as-new`, {}, "Replay as new event"));

  if (token === "") {
    connection("No dev token: open the inspector URL that dev printed (it ends with #token=…).");
  } else {
    void loadFixtures().catch(() => undefined);
    void follow();
  }
})();
