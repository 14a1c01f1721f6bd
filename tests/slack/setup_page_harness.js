// Runs appserver/static/cryptomining_slack_setup.js against a minimal DOM and a recording fetch, then prints
// the REST calls it made as JSON (driven by tests/slack/test_setup_page.py).
"use strict";
const fs = require("fs");
const vm = require("vm");

const calls = [];
const store = {};  // "realm:name" -> secret, as splunkd's storage/passwords would hold it
const elements = {};

function node(tag) {
    const n = {
        tag, children: [], attrs: {}, listeners: {}, value: "", className: "", _text: "",
        setAttribute(k, v) { this.attrs[k] = v; if (k === "id") { elements[v] = this; } },
        appendChild(c) { this.children.push(c); return c; },
        addEventListener(ev, fn) { this.listeners[ev] = fn; },
        get textContent() { return this._text + this.children.map((c) => c.textContent).join(""); },
        set textContent(v) { this._text = String(v); this.children = []; },
    };
    return n;
}
const root = node("div");
const document = { cookie: "splunkweb_csrf_token_8000=csrf123", getElementById: (id) => (id === "cryptomining-slack-setup" ? root : elements[id]), createElement: node };

async function fakeFetch(url, options) {
    const u = new URL(url, "https://sh.example:8000");
    calls.push({ method: options.method, path: u.pathname, query: u.search, body: options.body || "", csrf: options.headers["X-Splunk-Form-Key"] });
    const base = "/en-US/splunkd/__raw/servicesNS/nobody/aws_cryptomining/storage/passwords";
    const rest = decodeURIComponent(u.pathname.slice(base.length + 1));
    const form = new URLSearchParams(options.body || "");
    let body = {};
    if (options.method === "GET") {
        body = { entry: Object.keys(store).map((k) => ({ content: { realm: k.split(":")[0], username: k.split(":")[1], clear_password: store[k] } })) };
    } else if (options.method === "POST" && !rest) {
        store[form.get("realm") + ":" + form.get("name")] = form.get("password");
    } else if (options.method === "POST") {
        store[rest.replace(/:$/, "")] = form.get("password");
    } else if (options.method === "DELETE") {
        delete store[rest.replace(/:$/, "")];
    }
    return { ok: true, status: 200, statusText: "OK", text: async () => JSON.stringify(body) };
}

const context = { window: { location: { pathname: "/en-US/app/aws_cryptomining/cryptomining_slack_setup" }, setTimeout, confirm: () => true }, document, fetch: fakeFetch, URLSearchParams, console };
vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"), context);

const tick = () => new Promise((r) => setTimeout(r, 20));
function button(label) {
    const stack = [root];
    while (stack.length) {
        const n = stack.pop();
        if (n.tag === "button" && n._text === label) { return n; }
        stack.push(...n.children);
    }
    throw new Error("no button " + label);
}
(async () => {
    await tick();
    elements["cms-cred-name"].value = "soc-webhook";
    elements["cms-cred-secret"].value = "https://hooks.slack.com/services/T/B/SECRET1";
    button("Save credential").listeners.click(); await tick();
    elements["cms-cred-secret"].value = "https://hooks.slack.com/services/T/B/SECRET2";
    button("Save credential").listeners.click(); await tick();
    elements["cms-cred-name"].value = "bad name";
    button("Save credential").listeners.click(); await tick();
    const badStatus = root.textContent.includes("letters, digits");
    elements["cms-proxy-url"].value = "http://proxy.example.com:3128";
    elements["cms-proxy-user"].value = "svc";
    elements["cms-proxy-pass"].value = "pw";
    button("Save proxy").listeners.click(); await tick();
    elements["cms-mentions"].value = "U0SOC, S0TEAM";
    button("Save allowed mentions").listeners.click(); await tick();
    button("Delete").listeners.click(); await tick();
    process.stdout.write(JSON.stringify({ calls, store, badStatus, page: root.textContent }));
})();
