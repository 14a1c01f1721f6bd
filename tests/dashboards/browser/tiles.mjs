// Builds the offline base map of the dashboards' splunk.map panels: 256 px Web Mercator raster tiles, zoom 0-3,
// of Natural Earth's 1:50m land and country borders (world-atlas, public domain data), drawn in Dashboard Studio's
// dark theme colours on a canvas in headless Chromium.
//   node tiles.mjs <out dir>        (npm run tiles writes appserver/static/map/{z}/{x}/{y}.png)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { feature, mesh } from 'topojson-client';

const require = createRequire(import.meta.url);
const MAX_ZOOM = 3;
const out = process.argv[2];
if (!out) {
    throw new Error('usage: node tiles.mjs <out dir>');
}
const countries = require('world-atlas/countries-50m.json');
const land = feature(countries, countries.objects.land);
const borders = mesh(countries, countries.objects.countries, (a, b) => a !== b);
const style = { water: '#15171b', land: '#2b2f36', border: '#4a505a', coast: '#5a616d' };

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
    const page = await browser.newPage();
    const tiles = await page.evaluate(({ land, borders, style, maxZoom }) => {
        const size = 256;
        const canvas = document.createElement('canvas');
        canvas.width = size;
        canvas.height = size;
        const ctx = canvas.getContext('2d');
        const project = ([lon, lat], z, x, y) => {
            const scale = size * 2 ** z;
            const clamped = Math.max(-85.0511, Math.min(85.0511, lat));
            const sin = Math.sin((clamped * Math.PI) / 180);
            return [((lon + 180) / 360) * scale - x * size,
                (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale - y * size];
        };
        // Longitudes made continuous (a ring crossing the antimeridian goes on past +-180) and drawn three times,
        // shifted by -360, 0 and +360, so no line runs across the map.
        const unwrap = (ring) => {
            let shift = 0;
            return ring.map(([lon, lat], i) => {
                if (i > 0) {
                    const previous = ring[i - 1][0];
                    if (lon - previous > 180) {
                        shift -= 360;
                    } else if (previous - lon > 180) {
                        shift += 360;
                    }
                }
                return [lon + shift, lat];
            });
        };
        const trace = (ring, z, x, y, close) => [-360, 0, 360].forEach((offset) => {
            unwrap(ring).forEach(([lon, lat], i) => {
                const [px, py] = project([lon + offset, lat], z, x, y);
                if (i === 0) {
                    ctx.moveTo(px, py);
                } else {
                    ctx.lineTo(px, py);
                }
            });
            if (close) {
                ctx.closePath();
            }
        });
        const polygons = (geometry) => (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates);
        const result = [];
        for (let z = 0; z <= maxZoom; z += 1) {
            for (let x = 0; x < 2 ** z; x += 1) {
                for (let y = 0; y < 2 ** z; y += 1) {
                    ctx.fillStyle = style.water;
                    ctx.fillRect(0, 0, size, size);
                    ctx.beginPath();
                    land.features.forEach((f) => polygons(f.geometry).forEach((poly) => poly.forEach(
                        (ring) => trace(ring, z, x, y, true))));
                    ctx.fillStyle = style.land;
                    ctx.fill('evenodd');
                    ctx.strokeStyle = style.coast;
                    ctx.lineWidth = 0.6;
                    ctx.stroke();
                    ctx.beginPath();
                    borders.coordinates.forEach((line) => trace(line, z, x, y, false));
                    ctx.strokeStyle = style.border;
                    ctx.lineWidth = 0.5;
                    ctx.stroke();
                    result.push({ z, x, y, png: canvas.toDataURL('image/png').split(',')[1] });
                }
            }
        }
        return result;
    }, { land, borders, style, maxZoom: MAX_ZOOM });
    for (const { z, x, y, png } of tiles) {
        const file = path.join(out, String(z), String(x), `${y}.png`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, Buffer.from(png, 'base64'));
    }
    console.log(`${tiles.length} tiles in ${out}`);
} finally {
    await browser.close();
}
