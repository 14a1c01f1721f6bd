/*
 * Slack setup page of aws_cryptomining (view cryptomining_slack_setup): lets an admin add, replace and delete
 * named Slack credentials, the optional HTTPS proxy and the list of mentionable ids, all stored in Splunk's
 * credential store (storage/passwords) through splunkd's REST API proxied by Splunk Web. Secrets are never
 * shown back: only credential names are listed. Every dynamic value is inserted with textContent.
 */
(function () {
    "use strict";

    var APP = "aws_cryptomining";
    var REALM = "aws_cryptomining_slack";
    var SETTINGS_REALM = "aws_cryptomining_slack_settings";
    var NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;
    var MENTION_RE = /^[UWS][A-Z0-9]{2,20}$/;

    function locale() {
        var first = window.location.pathname.split("/")[1];
        return first || "en-US";
    }

    function csrfToken() {
        var parts = document.cookie.split(";");
        for (var i = 0; i < parts.length; i++) {
            var kv = parts[i].trim();
            if (kv.indexOf("splunkweb_csrf_token_") === 0) {
                return decodeURIComponent(kv.substring(kv.indexOf("=") + 1));
            }
        }
        return "";
    }

    function appPath(path) {
        return "/" + locale() + "/splunkd/__raw/servicesNS/nobody/" + APP + "/" + path;
    }

    function endpoint(suffix) {
        return appPath("storage/passwords" + (suffix || ""));
    }

    function entityPath(realm, name) {
        return "/" + encodeURIComponent(realm + ":" + name + ":");
    }

    function rest(method, suffix, form) {
        return call(method, endpoint(suffix), form);
    }

    function call(method, url, form) {
        var options = {
            method: method,
            credentials: "same-origin",
            headers: {"X-Splunk-Form-Key": csrfToken(), "X-Requested-With": "XMLHttpRequest"}
        };
        if (form) {
            options.headers["Content-Type"] = "application/x-www-form-urlencoded";
            options.body = new URLSearchParams(form).toString();
        }
        var sep = url.indexOf("?") >= 0 ? "&" : "?";
        return fetch(url + sep + "output_mode=json", options).then(function (response) {
            return response.text().then(function (text) {
                var body = {};
                try { body = text ? JSON.parse(text) : {}; } catch (ignore) { body = {}; }
                if (!response.ok) {
                    var msg = (body.messages && body.messages[0] && body.messages[0].text) || response.statusText;
                    throw new Error("HTTP " + response.status + ": " + msg);
                }
                return body;
            });
        });
    }

    function listRealm(realm) {
        var search = encodeURIComponent("realm=" + realm);
        return rest("GET", "?count=0&search=" + search).then(function (body) {
            return (body.entry || []).filter(function (e) {
                return e.content && e.content.realm === realm;
            }).map(function (e) { return e.content.username; });
        });
    }

    function exists(realm, name) {
        return listRealm(realm).then(function (names) { return names.indexOf(name) >= 0; });
    }

    function save(realm, name, secret) {
        return exists(realm, name).then(function (found) {
            if (found) {
                return rest("POST", entityPath(realm, name), {password: secret});
            }
            return rest("POST", "", {name: name, realm: realm, password: secret});
        }).then(function () { return restrict(realm, name); });
    }

    // A new credential would inherit the app's "read: *"; any role holding list_storage_passwords could then
    // read every webhook and token. Each secret is shared at app level but readable and writable by the
    // admin roles only (docs/platform.md says what an alert owner needs).
    var SECRET_ROLES = "admin,sc_admin";

    function restrict(realm, name) {
        return rest("POST", entityPath(realm, name) + "/acl",
            {owner: "nobody", sharing: "app", "perms.read": SECRET_ROLES, "perms.write": SECRET_ROLES});
    }

    // Splunk's setup-page pattern: app.conf [install] is_configured = true, then reload the app, so that
    // admins are no longer sent to this page.
    function markConfigured() {
        return call("POST", appPath("configs/conf-app/install"), {is_configured: "true"}).then(function () {
            return call("GET", appPath("apps/local/" + APP + "/_reload"));
        });
    }

    function remove(realm, name) {
        return rest("DELETE", entityPath(realm, name));
    }

    function el(tag, attrs, text) {
        var node = document.createElement(tag);
        Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
        if (text !== undefined) { node.textContent = text; }
        return node;
    }

    function status(node, message, isError) {
        node.textContent = message;
        node.className = "status" + (isError ? " error" : "");
    }

    function field(parent, label, id, type, placeholder) {
        var row = el("div");
        row.appendChild(el("label", {"for": id}, label));
        var input = el("input", {id: id, type: type, autocomplete: "off", placeholder: placeholder || ""});
        row.appendChild(input);
        parent.appendChild(row);
        return input;
    }

    function credentialsSection(root) {
        var section = el("section");
        section.appendChild(el("h2", {}, "Slack credentials"));
        section.appendChild(el("p", {}, "A credential is an incoming-webhook URL (https://hooks.slack.com/...) or a " +
            "bot token (xoxb-..., scope chat:write). Alerts choose one by name. Saving an existing name replaces it."));
        var table = el("table");
        section.appendChild(table);
        var name = field(section, "Name", "cms-cred-name", "text", "soc-webhook");
        var secret = field(section, "Webhook URL or token", "cms-cred-secret", "password", "");
        var button = el("button", {type: "button", "class": "btn btn-primary"}, "Save credential");
        section.appendChild(button);
        var state = el("div", {"class": "status"});
        section.appendChild(state);

        function refresh() {
            return listRealm(REALM).then(function (names) {
                table.textContent = "";
                var head = el("tr");
                head.appendChild(el("th", {}, "Name"));
                head.appendChild(el("th", {}, ""));
                table.appendChild(head);
                names.sort().forEach(function (n) {
                    var tr = el("tr");
                    tr.appendChild(el("td", {}, n));
                    var td = el("td");
                    var del = el("button", {type: "button", "class": "btn"}, "Delete");
                    del.addEventListener("click", function () {
                        if (!window.confirm("Delete Slack credential " + n + "? Alerts using it will fail.")) { return; }
                        remove(REALM, n).then(refresh).then(function () { status(state, "Deleted " + n + ".", false); })
                            .catch(function (err) { status(state, err.message, true); });
                    });
                    td.appendChild(del);
                    tr.appendChild(td);
                    table.appendChild(tr);
                });
                if (!names.length) { table.appendChild(el("tr")).appendChild(el("td", {}, "(none yet)")); }
            });
        }

        button.addEventListener("click", function () {
            var n = name.value.trim();
            var s = secret.value.trim();
            if (!NAME_RE.test(n)) {
                return status(state, "Name: letters, digits, '_', '.', '-' only (at most 64).", true);
            }
            if (!(s.indexOf("https://") === 0 || s.indexOf("xoxb-") === 0)) {
                return status(state, "The secret must be an https:// webhook URL or an xoxb- bot token.", true);
            }
            save(REALM, n, s).then(markConfigured).then(function () {
                secret.value = "";
                status(state, "Saved " + n + ".", false);
                return refresh();
            }).catch(function (err) { status(state, err.message, true); });
        });
        root.appendChild(section);
        return refresh().catch(function (err) { status(state, err.message, true); });
    }

    function proxySection(root) {
        var section = el("section");
        section.appendChild(el("h2", {}, "HTTPS proxy (optional)"));
        section.appendChild(el("p", {}, "All Slack requests go through this proxy when set. TLS to Slack is still verified."));
        var url = field(section, "Proxy URL", "cms-proxy-url", "text", "http://proxy.example.com:3128");
        var user = field(section, "Proxy user", "cms-proxy-user", "text", "");
        var pass = field(section, "Proxy password", "cms-proxy-pass", "password", "");
        var saveButton = el("button", {type: "button", "class": "btn btn-primary"}, "Save proxy");
        var clearButton = el("button", {type: "button", "class": "btn"}, "Remove proxy");
        section.appendChild(saveButton);
        section.appendChild(clearButton);
        var state = el("div", {"class": "status"});
        section.appendChild(state);
        saveButton.addEventListener("click", function () {
            var u = url.value.trim();
            if (!/^https?:\/\/[^\s@\/]+(:\d+)?\/?$/.test(u)) {
                return status(state, "Proxy URL: http(s)://host:port, without credentials in it.", true);
            }
            var value = JSON.stringify({url: u, username: user.value.trim(), password: pass.value});
            save(SETTINGS_REALM, "proxy", value).then(function () {
                pass.value = "";
                status(state, "Proxy saved.", false);
            }).catch(function (err) { status(state, err.message, true); });
        });
        clearButton.addEventListener("click", function () {
            exists(SETTINGS_REALM, "proxy").then(function (found) {
                return found ? remove(SETTINGS_REALM, "proxy") : null;
            }).then(function () { status(state, "No proxy.", false); })
                .catch(function (err) { status(state, err.message, true); });
        });
        root.appendChild(section);
    }

    function mentionsSection(root) {
        var section = el("section");
        section.appendChild(el("h2", {}, "Allowed mentions"));
        section.appendChild(el("p", {}, "Comma-separated Slack user (U.../W...) and user-group (S...) ids that alerts " +
            "may mention. @channel/@here are never sent."));
        var ids = field(section, "Allowed ids", "cms-mentions", "text", "U0123ABCD,S0456EFGH");
        var button = el("button", {type: "button", "class": "btn btn-primary"}, "Save allowed mentions");
        section.appendChild(button);
        var state = el("div", {"class": "status"});
        section.appendChild(state);
        button.addEventListener("click", function () {
            var list = ids.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
            var bad = list.filter(function (s) { return !MENTION_RE.test(s); });
            if (bad.length) { return status(state, "Not a user/group id: " + bad.join(", "), true); }
            var done = list.length ? save(SETTINGS_REALM, "allowed_mentions", list.join(","))
                : exists(SETTINGS_REALM, "allowed_mentions").then(function (found) {
                    return found ? remove(SETTINGS_REALM, "allowed_mentions") : null;
                });
            done.then(function () { status(state, list.length ? "Saved." : "No mentions allowed.", false); })
                .catch(function (err) { status(state, err.message, true); });
        });
        root.appendChild(section);
    }

    function finishSection(root) {
        var section = el("section");
        section.appendChild(el("h2", {}, "Finish"));
        section.appendChild(el("p", {}, "Slack is optional: the detections run without it. Mark the setup complete " +
            "to stop being sent to this page (saving a credential does it too); it stays under Manage Apps > Set up."));
        var button = el("button", {type: "button", "class": "btn btn-primary"}, "Mark setup complete");
        section.appendChild(button);
        var state = el("div", {"class": "status"});
        section.appendChild(state);
        button.addEventListener("click", function () {
            markConfigured().then(function () { status(state, "Setup complete.", false); })
                .catch(function (err) { status(state, err.message, true); });
        });
        root.appendChild(section);
    }

    function start(tries) {
        var root = document.getElementById("cryptomining-slack-setup");
        if (!root) { return tries > 0 ? window.setTimeout(function () { start(tries - 1); }, 200) : null; }
        root.textContent = "";
        credentialsSection(root);
        proxySection(root);
        mentionsSection(root);
        finishSection(root);
    }

    start(50);
}());
