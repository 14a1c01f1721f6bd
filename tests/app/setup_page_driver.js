// Runs appserver/static/cryptomining_slack_setup.js in node against a minimal DOM, with fetch sent to the
// splunkd fake of tests/app/test_setup_page_acl.py (base URL in argv[3]); clicks the buttons named in
// argv[4] (JSON list of [field values, button label]) and prints the page text.
"use strict";
const fs = require("fs");
const vm = require("vm");

const elements = {};
function node(tag) {
    return {
        tag, children: [], attrs: {}, listeners: {}, value: "", className: "", _text: "",
        setAttribute(k, v) { this.attrs[k] = v; if (k === "id") { elements[v] = this; } },
        appendChild(c) { this.children.push(c); return c; },
        addEventListener(ev, fn) { this.listeners[ev] = fn; },
        get textContent() { return this._text + this.children.map((c) => c.textContent).join(""); },
        set textContent(v) { this._text = String(v); this.children = []; },
    };
}
const root = node("div");
const document = { cookie: "splunkweb_csrf_token_8000=csrf123", createElement: node,
                   getElementById: (id) => (id === "cryptomining-slack-setup" ? root : elements[id]) };
const base = process.argv[3];
const relativeFetch = (url, options) => fetch(base + url, options);
const context = { window: { location: { pathname: "/en-US/app/aws_cryptomining/cryptomining_slack_setup" }, setTimeout,
                            confirm: () => true }, document, fetch: relativeFetch, URLSearchParams, console };
vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"), context);

function button(label) {
    const stack = [root];
    while (stack.length) {
        const n = stack.pop();
        if (n.tag === "button" && n._text === label) { return n; }
        stack.push(...n.children);
    }
    throw new Error("no button " + label);
}
const settle = () => new Promise((r) => setTimeout(r, 300));
(async () => {
    await settle();
    for (const [values, label] of JSON.parse(process.argv[4])) {
        for (const [id, value] of Object.entries(values)) { elements[id].value = value; }
        button(label).listeners.click();
        await settle();
    }
    process.stdout.write(root.textContent);
})();
