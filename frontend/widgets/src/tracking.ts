// <afterglow-tracking>: the shopper's order tracking, inside the merchant's own storefront.
//
//   <afterglow-tracking endpoint="https://app.example/api/storefront" shop="store.example" locale="de">
//   <afterglow-tracking endpoint="/apps/afterglow/api">            (Shopify: through the app proxy)
//
// Attributes: endpoint (API base), shop (public API only), locale (else the page's), token (a signed link;
// also read from ?afterglow_token= in the page URL), number + email (look up at once).
// `element.preview(document)` renders an order document as the API answers it, fetching nothing and posting
// nothing (the admin's live preview). The shop's `show` hides the estimate, timeline, items or survey blocks.
// Theming: --afterglow-accent, --afterglow-text, --afterglow-muted, --afterglow-background, --afterglow-font,
// --afterglow-radius on the element or any ancestor; the shop's branding fills whatever the page leaves unset.
import { fill, pickLocale, strings, Strings } from "./i18n";
import { STYLE } from "./style";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const STEP_OF: Record<string, number> = {
  pending: 0, info_received: 1, in_transit: 2, attempt_failed: 3, exception: 2, out_for_delivery: 3,
  available_for_pickup: 3, delivered: 4, returning_to_sender: 2, returned: 2, cancelled: 0, expired: 2, unknown: 1,
};
const PROBLEM = new Set(["attempt_failed", "exception", "returning_to_sender", "returned", "expired", "cancelled"]);

function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

class AfterglowTracking extends HTMLElement {
  private root: ShadowRoot;
  private locale = "en";
  private t: Strings = strings("en");
  private usePostal = false;
  private shopName = "";
  private recommends = true;
  private blocks: Json = {};
  private previewing = false;
  private own: string[] = []; // the custom properties the shop's branding set (the page's own are left alone)

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
  }

  connectedCallback(): void {
    if (this.previewing) return;
    const page = document.documentElement.lang;
    this.locale = pickLocale([this.getAttribute("locale") || "", page, ...navigator.languages]);
    this.t = strings(this.locale);
    const token = this.getAttribute("token") || new URLSearchParams(location.search).get("afterglow_token");
    const number = this.getAttribute("number");
    const email = this.getAttribute("email");
    if (token) this.load(`/orders/link/${encodeURIComponent(token)}`, {});
    else if (number && email) this.load("/orders/lookup", { number, email });
    else if (this.hasAttribute("customer")) this.mine();
    else this.form();
  }

  private form(message = "", kind = ""): void {
    const t = this.t;
    const proof = this.usePostal ? ["postal_code", t.postal, "postal-code", "text"] : ["email", t.email, "email", "email"];
    this.render(`
      <form novalidate>
        <h2 class="title">${esc(t.title)}</h2>
        <div class="fields">
          <label>${esc(t.number)}<input name="number" required autocomplete="off" inputmode="text"></label>
          <label>${esc(proof[1])}<input name="${proof[0]}" type="${proof[3]}" required autocomplete="${proof[2]}"></label>
        </div>
        <div class="actions">
          <button type="submit">${esc(t.find)}</button>
          <button type="button" class="link" data-toggle>${esc(this.usePostal ? t.useEmail : t.usePostal)}</button>
        </div>
        <p class="message ${kind}" role="${kind ? "alert" : "status"}" aria-live="polite">${esc(message)}</p>
      </form>`);
    const form = this.root.querySelector("form") as HTMLFormElement;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const query: Record<string, string> = {};
      data.forEach((value, key) => (query[key] = String(value).trim()));
      const empty = Array.from(form.querySelectorAll("input")).find((input) => !input.value.trim());
      if (empty) return empty.focus();
      this.load("/orders/lookup", query);
    });
    (this.root.querySelector("[data-toggle]") as HTMLElement).addEventListener("click", () => {
      this.usePostal = !this.usePostal;
      this.form();
      (this.root.querySelector("input") as HTMLInputElement).focus();
    });
  }

  private async fetch(path: string, query: Record<string, string>): Promise<Response | null> {
    const base = (this.getAttribute("endpoint") || "/apps/afterglow/api").replace(/\/$/, "");
    const shop = this.getAttribute("shop");
    const params = new URLSearchParams({ ...query, ...(shop ? { shop } : {}) });
    this.render(`<div class="busy" aria-busy="true" role="status">${esc(this.t.loading)}</div>`);
    try {
      return await fetch(`${base}${path}?${params}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    } catch {
      return null;
    }
  }

  // A shopper signed in to the store (Shopify vouches through the app proxy): their orders, no typing.
  private async mine(): Promise<void> {
    const response = await this.fetch("/orders/mine", {});
    const orders: Json[] = response && response.ok ? (await response.json()).orders : [];
    if (!orders.length) return this.form();
    this.render(`<h2 class="title">${esc(this.t.title)}</h2><ul class="orders">${orders
      .map((o, i) => `<li><button type="button" class="link" data-i="${i}">${esc(fill(this.t.order, { n: o.name }))}</button>
        <span class="muted">${esc(this.date(o.placed_at, false))} · ${esc(this.t.status[o.parcels[0]] || this.t.notShipped)}</span></li>`)
      .join("")}</ul><button type="button" class="link" data-again>${esc(this.t.again)}</button>`);
    this.root.querySelectorAll<HTMLElement>("[data-i]").forEach((button) =>
      button.addEventListener("click", () => this.load(`/orders/link/${encodeURIComponent(orders[+button.dataset.i!].token)}`, {})));
    (this.root.querySelector("[data-again]") as HTMLElement).addEventListener("click", () => this.form());
  }

  private async load(path: string, query: Record<string, string>): Promise<void> {
    const response = await this.fetch(path, query);
    if (!response) return this.form(this.t.error, "error");
    if (response.status === 429) {
      const seconds = response.headers.get("Retry-After") || "60";
      return this.form(fill(this.t.rateLimited, { s: seconds }), "limited");
    }
    if (response.status === 404) return this.form(this.t.notFound, "missing");
    if (!response.ok) return this.form(this.t.error, "error");
    this.apply(await response.json());
  }

  preview(document_: Json): void {
    this.previewing = true;
    this.apply(document_);
  }

  private apply(document_: Json): void {
    const shop = document_.shop || {};
    this.theme(shop.branding);
    this.shopName = (shop.branding && shop.branding.name) || "";
    this.recommends = shop.recommendations !== false;
    this.blocks = shop.show || {};
    this.show(document_.order);
  }

  private on(block: string): boolean {
    return this.blocks[block] !== false;
  }

  private async post(path: string, body: Json): Promise<boolean> {
    if (this.previewing) return false;
    const base = (this.getAttribute("endpoint") || "/apps/afterglow/api").replace(/\/$/, "");
    const shop = this.getAttribute("shop");
    try {
      const response = await fetch(`${base}${path}${shop ? `?${new URLSearchParams({ shop })}` : ""}`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin",
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  private theme(branding: Json): void {
    this.own.forEach((name) => this.style.removeProperty(name));
    this.own = [];
    if (!branding) return;
    const set = (name: string, value: string | null) => {
      if (value && value !== "inherit" && !getComputedStyle(this).getPropertyValue(name).trim()) {
        this.style.setProperty(name, value);
        this.own.push(name);
      }
    };
    set("--afterglow-accent", branding.accent_color);
    set("--afterglow-text", branding.text_color);
    set("--afterglow-background", branding.background_color);
    set("--afterglow-font", branding.font_family);
  }

  private show(order: Json): void {
    const t = this.t;
    const parcels: Json[] = order.shipments || [];
    const body = parcels.map((parcel, index) => this.parcel(parcel, index, parcels.length)).join("");
    const waiting = (order.unshipped_items || []) as Json[];
    this.render(`
      <section aria-labelledby="order-title">
        <h2 class="title" id="order-title" tabindex="-1">${esc(fill(t.order, { n: order.name }))}</h2>
        <p class="muted">${esc(this.date(order.placed_at, false))} · ${esc(this.money(order.total, order.currency))}</p>
        ${body}
        ${waiting.length && this.on("items") ? `<div class="parcel"><h3>${esc(t.notShipped)}</h3>${this.items(waiting)}</div>` : ""}
        <section class="like" aria-labelledby="like-title" hidden><h3 id="like-title">${esc(t.like)}</h3><ul></ul></section>
        <button type="button" class="link" data-again>${esc(t.again)}</button>
      </section>`);
    (this.root.querySelector("[data-again]") as HTMLElement).addEventListener("click", () => this.form());
    this.root.querySelectorAll<HTMLElement>("[data-survey]").forEach((box) => this.survey(box, parcels[+box.dataset.survey!].survey));
    const asked = this.root.querySelector<HTMLElement>(".survey");
    if (location.hash === "#survey" && asked) {
      // The survey email links here: straight to the question (a fragment cannot reach into a shadow root).
      asked.scrollIntoView({ block: "center" });
      (asked.querySelector("button") as HTMLElement | null)?.focus({ preventScroll: true });
    } else if (!this.previewing) {
      (this.root.getElementById("order-title") as HTMLElement).focus();
    }
    if (order.token && this.recommends && !this.previewing) this.recommend(order.token);
  }

  // After delivery: one question, answered with one press; then an optional comment.
  private survey(box: HTMLElement, survey: Json): void {
    const t = this.t;
    if (survey.score !== null && survey.score !== undefined) {
      box.innerHTML = `<p class="thanks" role="status">${esc(t.thanks)}</p>`;
      return;
    }
    const [low, high] = survey.kind === "ces" ? [1, 7] : [0, 10];
    const question = fill(survey.kind === "ces" ? t.ces : t.nps, { shop: this.shopName || "us" });
    const scores = Array.from({ length: high - low + 1 }, (_, i) => low + i);
    box.innerHTML = `<fieldset><legend>${esc(question)}</legend><div class="scale">${scores
      .map((n) => `<button type="button" data-score="${n}">${n}</button>`).join("")}</div>
      <div class="ends muted"><span>${esc(survey.kind === "ces" ? t.cesLow : t.npsLow)}</span><span>${esc(survey.kind === "ces" ? t.cesHigh : t.npsHigh)}</span></div></fieldset>`;
    box.querySelectorAll<HTMLButtonElement>("[data-score]").forEach((button) =>
      button.addEventListener("click", async () => {
        const score = +button.dataset.score!;
        const answer = { token: survey.token, kind: survey.kind, score, locale: this.locale };
        if (!(await this.post("/surveys", answer))) return;
        box.innerHTML = `<p class="thanks" role="status" tabindex="-1">${esc(t.thanks)}</p>
          <label>${esc(t.comment)}<textarea rows="3" maxlength="2000"></textarea></label>
          <button type="button" class="secondary">${esc(t.send)}</button>`;
        (box.querySelector(".thanks") as HTMLElement).focus();
        (box.querySelector("button") as HTMLElement).addEventListener("click", async () => {
          const comment = (box.querySelector("textarea") as HTMLTextAreaElement).value;
          if (await this.post("/surveys", { ...answer, comment })) box.innerHTML = `<p class="thanks" role="status">${esc(t.thanks)}</p>`;
        });
      }));
  }

  private async recommend(token: string): Promise<void> {
    const base = (this.getAttribute("endpoint") || "/apps/afterglow/api").replace(/\/$/, "");
    const shop = this.getAttribute("shop");
    try {
      const response = await fetch(`${base}/orders/recommendations?${new URLSearchParams({ token, ...(shop ? { shop } : {}) })}`);
      const picks: Json[] = response.ok ? (await response.json()).recommendations : [];
      const block = this.root.querySelector(".like") as HTMLElement;
      if (!picks.length || !block) return;
      (block.querySelector("ul") as HTMLElement).innerHTML = picks.map((p) => `<li><a href="${esc(p.url)}">${p.image_url
        ? `<img src="${esc(p.image_url)}" alt="" width="96" height="96" loading="lazy">` : '<span class="noimg"></span>'}<span>${esc(p.title)}</span></a></li>`).join("");
      block.hidden = false;
    } catch {
      /* recommendations are a bonus: the page stands without them */
    }
  }

  private parcel(parcel: Json, index: number, count: number): string {
    const t = this.t;
    const step = STEP_OF[parcel.status] ?? 1;
    const problem = PROBLEM.has(parcel.status);
    const steps = t.steps
      .map((label, i) => `<li class="${i <= step ? "done" : ""}"${i === step ? ' aria-current="step"' : ""}>${esc(label)}</li>`)
      .join("");
    const link = parcel.tracking_url
      ? `<a href="${esc(parcel.tracking_url)}" target="_blank" rel="noopener">${esc(parcel.tracking_number)}</a>`
      : esc(parcel.tracking_number || "");
    const events: Json[] = parcel.events || [];
    return `
      <article class="parcel" aria-label="${esc(fill(t.parcel, { i: index + 1, n: count }))}">
        <header>
          ${count > 1 ? `<p class="muted">${esc(fill(t.parcel, { i: index + 1, n: count }))}</p>` : ""}
          <h3 class="status ${problem ? "problem" : ""}">${esc(t.status[parcel.status] || parcel.status)}</h3>
          <p class="when">${esc(this.when(parcel))}</p>
          ${parcel.delay ? `<p class="delay" role="note"><strong>${esc(t.delay)}:</strong> ${esc(t.delays[parcel.delay.reason] || parcel.delay.message || "")}</p>` : ""}
          <p class="muted">${esc(parcel.carrier_name || "")} ${link}</p>
        </header>
        <ol class="steps" aria-label="${esc(t.status[parcel.status] || "")}">${steps}</ol>
        ${parcel.items && parcel.items.length && this.on("items") ? `<h4>${esc(t.items)}</h4>${this.items(parcel.items)}` : ""}
        ${parcel.survey && this.on("survey") ? `<div class="survey" data-survey="${index}"></div>` : ""}
        ${this.on("timeline") ? `<h4>${esc(t.history)}</h4>${this.timeline(events)}` : ""}
      </article>`;
  }

  private when(parcel: Json): string {
    const t = this.t;
    if (parcel.delivered_at) return fill(t.delivered, { d: this.date(parcel.delivered_at, true) });
    const estimate = parcel.estimate;
    if (!estimate || !this.on("estimate")) return "";
    if (estimate.window_start && estimate.window_end && estimate.window_start !== estimate.window_end)
      return fill(t.between, { a: this.day(estimate.window_start), b: this.day(estimate.window_end) });
    return fill(t.expected, { d: this.day(estimate.date) });
  }

  // The latest scans in view; older ones behind a native disclosure (keyboard and screen-reader friendly).
  private timeline(events: Json[]): string {
    if (!events.length) return `<p class="muted">${esc(this.t.noScans)}</p>`;
    const recent = events.slice(0, 3).map((e) => this.event(e)).join("");
    const older = events.slice(3).map((e) => this.event(e)).join("");
    return `<ol class="events">${recent}</ol>${older
      ? `<details><summary>${esc(fill(this.t.showAll, { n: events.length }))}</summary><ol class="events">${older}</ol></details>`
      : ""}`;
  }

  private event(event: Json): string {
    return `<li><time datetime="${esc(event.at)}">${esc(this.date(event.at, true, event.timezone))}</time>
      <span>${esc(event.description)}</span>${event.location ? `<span class="muted">${esc(event.location)}</span>` : ""}</li>`;
  }

  private items(items: Json[]): string {
    return `<ul class="items">${items
      .map((item) => `<li>${item.image_url ? `<img src="${esc(item.image_url)}" alt="" width="48" height="48" loading="lazy">` : '<span class="noimg"></span>'}
        <span>${esc(item.title)}${item.variant ? ` <span class="muted">${esc(item.variant)}</span>` : ""}</span>
        <span class="qty">× ${esc(item.quantity)}</span></li>`)
      .join("")}</ul>`;
  }

  // A scan's time in the zone where it happened; a date alone (an estimate) as that calendar day.
  private date(iso: string, withTime: boolean, zone?: string): string {
    const moment = new Date(iso);
    const options: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" };
    if (withTime) Object.assign(options, { hour: "numeric", minute: "2-digit" });
    const offset = /([+-]\d\d:\d\d|Z)$/.exec(iso);
    try {
      if (zone) return new Intl.DateTimeFormat(this.locale, { ...options, timeZone: zone }).format(moment);
    } catch {
      /* an unknown zone: fall through to the offset the server gave */
    }
    if (offset && offset[1] !== "Z") {
      const local = new Date(`${iso.slice(0, 19)}Z`);
      return new Intl.DateTimeFormat(this.locale, { ...options, timeZone: "UTC" }).format(local);
    }
    return new Intl.DateTimeFormat(this.locale, options).format(moment);
  }

  private money(amount: string, currency: string): string {
    try {
      return new Intl.NumberFormat(this.locale, { style: "currency", currency }).format(+amount);
    } catch {
      return `${amount} ${currency}`;
    }
  }

  private day(isoDate: string): string {
    return new Intl.DateTimeFormat(this.locale, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" })
      .format(new Date(`${isoDate.slice(0, 10)}T12:00:00Z`));
  }

  private render(html: string): void {
    this.root.innerHTML = `<style>${STYLE}</style><div class="card" lang="${esc(this.locale)}">${html}</div>`;
  }
}

if (!customElements.get("afterglow-tracking")) customElements.define("afterglow-tracking", AfterglowTracking);
