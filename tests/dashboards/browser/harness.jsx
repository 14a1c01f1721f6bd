// The page the browser tests load: one Dashboard Studio view rendered by Splunk's own framework (DashboardCore,
// the Enterprise view-only preset, SplunkSearch for ds.search/ds.chain against the test splunkd), the way Splunk
// Web renders /app/<app>/<dashboard>?form.<token>=<value>. Exposes what it saw on window.__harness.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { DashboardCore } from '@splunk/dashboard-core';
import { DashboardContextProvider } from '@splunk/dashboard-context';
import EnterpriseViewOnlyPreset from '@splunk/dashboard-presets/EnterpriseViewOnlyPreset';
import { createSchemaBasedOnPresets } from '@splunk/dashboard-definition';
import { DashboardValidator } from '@splunk/dashboard-validation';
import SplunkThemeProvider from '@splunk/themes/SplunkThemeProvider';
import maplibregl from 'maplibre-gl';

const APP_PATH = /^\/(?:[a-z]{2}-[A-Z]{2}\/)?app\/([^/]+)\/([^/?]+)/;
const harness = { validation: [], coreErrors: [], dashboard: null, ready: false };
window.__harness = harness;

// Splunk's map draws its markers only after maplibre's 'load' (style, tiles and a first frame, slow under load): the
// map's container is marked then, so the settle loop waits for it instead of for a fixed time (the same maplibre
// module the framework's Map.js requires; esbuild bundles it once).
const fire = maplibregl.Map.prototype.fire;
maplibregl.Map.prototype.fire = function fireAndMarkLoad(event, ...rest) {
    if ((typeof event === 'string' ? event : event && event.type) === 'load') {
        this.getContainer().dataset.harnessLoaded = 'true';
    }
    return fire.call(this, event, ...rest);
};

const appUrl = (app, page, params) =>
    `${window.location.origin}/en-US/app/${app}/${page}?${new URLSearchParams(params).toString()}`;

// Splunk Web's drilldown.linkToDashboard and drilldown.linkToSearch (not in the framework's presets): the framework
// resolves the tokens in the options, the handler turns them into the URL Splunk Web opens.
class LinkToDashboard {
    constructor(options = {}) {
        this.options = options;
    }

    canHandle = (event) => !!event && event.type.endsWith('.click');

    // A pair's value names a click token of the event (row.<field>.value, name, value) or a token of this
    // dashboard (global_time.earliest); the target receives it as form.<token>.
    handle = (event) => {
        const { app, dashboard, tokens = [], newTab = false } = this.options;
        const current = (harness.tokenBinding && harness.tokenBinding.default) || {};
        const resolve = (value) => {
            if (event.payload && event.payload[value] !== undefined) {
                return event.payload[value];
            }
            return current[value] !== undefined ? current[value] : value;
        };
        const params = tokens.map(({ token, value }) => [`form.${token}`, resolve(value)]);
        return Promise.resolve([{ type: 'linkTo', payload: { url: appUrl(app, dashboard, params), newTab } }]);
    };
}

class LinkToSearch {
    constructor(options = {}) {
        this.options = options;
    }

    canHandle = (event) => !!event && event.type.endsWith('.click');

    handle = () => {
        const { query, earliest = '', latest = '', newTab = true } = this.options;
        const app = harness.app || 'search';
        const params = [['q', `search ${query}`], ['earliest', earliest], ['latest', latest]];
        return Promise.resolve([{ type: 'linkTo', payload: { url: appUrl(app, 'search', params), newTab } }]);
    };
}

const preset = {
    ...EnterpriseViewOnlyPreset,
    eventHandlers: {
        ...EnterpriseViewOnlyPreset.eventHandlers,
        'drilldown.linkToDashboard': LinkToDashboard,
        'drilldown.linkToSearch': LinkToSearch,
    },
};

const message = (error) => (typeof error === 'string' ? error : JSON.stringify(error));

function validate(definition) {
    const validator = new DashboardValidator();
    const schemaError = validator.setSchema(createSchemaBasedOnPresets(preset));
    if (schemaError) {
        return [`schema: ${message(schemaError)}`];
    }
    const errors = validator.validate(definition) || [];
    return (Array.isArray(errors) ? errors : [errors]).map(message);
}

// form.<token>=<value> in the URL sets the token, as Splunk Web does; a time range arrives as
// form.global_time.earliest / form.global_time.latest.
function urlTokens() {
    const tokens = {};
    new URLSearchParams(window.location.search).forEach((value, key) => {
        if (key.startsWith('form.')) {
            tokens[key.slice(5)] = value;
        }
    });
    return tokens;
}

async function main() {
    const match = window.location.pathname.match(APP_PATH);
    const [, app, name] = match;
    harness.app = app;
    harness.dashboard = name;
    const response = await fetch(`/definition/${name}`);
    const definition = await response.json();
    const tokens = urlTokens();
    harness.tokenBinding = { default: tokens };
    // The framework migrates the view (a single layout becomes layoutDefinitions/tabs) before it validates: the
    // definition is validated as the framework holds it, against the schema of the preset's components.
    const onApi = (api) => {
        if (api && !harness.api) {
            harness.api = api;
            harness.validation = validate(api.getDefinition());
        }
    };
    // The view's theme attribute, as Splunk Web draws it (Enterprise family).
    const colorScheme = window.__viewTheme === 'dark' ? 'dark' : 'light';
    document.body.style.background = colorScheme === 'dark' ? '#171d21' : '#f2f4f5';
    const root = createRoot(document.getElementById('root'));
    root.render(
        <SplunkThemeProvider family="enterprise" colorScheme={colorScheme} density="comfortable">
            <DashboardContextProvider
                preset={preset}
                initialDefinition={definition}
                initialTokenBinding={{ default: tokens }}
                onTokenBindingChange={(binding) => {
                    harness.tokenBinding = binding;
                }}
            >
                <DashboardCore
                    width="100%"
                    height="100%"
                    dashboardCoreApiRef={onApi}
                    onValidationError={(error) => harness.coreErrors.push(message(error))}
                />
            </DashboardContextProvider>
        </SplunkThemeProvider>,
    );
    harness.ready = true;
}

main().catch((error) => {
    harness.fatal = String((error && error.stack) || error);
    throw error;
});
