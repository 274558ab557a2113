#!/usr/bin/env node
// Measure strings with the official reference implementations:
//   - X / Twitter: npm `twitter-text` (parseTweet with its default config,
//     i.e. v3: weighted length, emoji parsing, 23-char URLs) and its entity
//     extractors, plus the `twemoji-parser` entities twitter-text itself uses.
//   - Bluesky: npm `@atproto/api` RichText (grapheme length, UTF-8 byte
//     length, facet detection without handle resolution).
//
// Usage:
//   node measure.js < strings.json > measured.json
//       stdin:  a JSON array of strings
//       stdout: a JSON array with one object per input string (same order)
//   node measure.js --versions
//       prints the versions of the reference packages and of node/ICU.
//
// All indices are the ones the JS libraries return (UTF-16 code units,
// except Bluesky facets, which are UTF-8 byte offsets). `x_emoji` indices
// refer to s.normalize('NFC') (that is the text twitter-text runs
// twemoji-parser on); every other X index refers to the input string.
//
// A failure on one string never aborts the run: the object for that string
// gets an "error" field ("<part>: <message>") and keeps the parts that worked.
//
// Dependencies are installed in this folder: run `npm ci` (or `npm install`)
// here first. CommonJS, node >= 18.
'use strict';

const fs = require('fs');
const path = require('path');

const twitter = require('twitter-text');
// Use the very copy of twemoji-parser that twitter-text resolves.
const twemojiParser = require(require.resolve('twemoji-parser', {
  paths: [path.dirname(require.resolve('twitter-text'))],
}));
const { RichText } = require('@atproto/api');

function packageVersion(name, fromDir) {
  // Walk up from the resolved entry point to the package's own package.json
  // (some packages do not export ./package.json).
  let dir = path.dirname(require.resolve(name, fromDir ? { paths: [fromDir] } : undefined));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8'));
      if (pkg.name === name) return pkg.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function versions() {
  return {
    twitter_text: packageVersion('twitter-text'),
    twemoji_parser: packageVersion('twemoji-parser', path.dirname(require.resolve('twitter-text'))),
    atproto_api: packageVersion('@atproto/api'),
    node: process.versions.node,
    icu: process.versions.icu || null,
    unicode: process.versions.unicode || null,
  };
}

function triples(entities, key) {
  return entities.map((e) => [e[key], e.indices[0], e.indices[1]]);
}

const PARTS = [
  ['x', (s) => {
    const r = twitter.parseTweet(s);
    return {
      weightedLength: r.weightedLength,
      valid: r.valid,
      permillage: r.permillage,
      validRangeStart: r.validRangeStart,
      validRangeEnd: r.validRangeEnd,
      displayRangeStart: r.displayRangeStart,
      displayRangeEnd: r.displayRangeEnd,
    };
  }],
  ['x_urls', (s) => triples(twitter.extractUrlsWithIndices(s), 'url')],
  ['x_hashtags', (s) => triples(twitter.extractHashtagsWithIndices(s), 'hashtag')],
  ['x_mentions', (s) => triples(twitter.extractMentionsWithIndices(s), 'screenName')],
  ['x_cashtags', (s) => triples(twitter.extractCashtagsWithIndices(s), 'cashtag')],
  ['x_emoji', (s) => triples(twemojiParser.parse(s.normalize('NFC')), 'text')],
  ['bsky', (s) => {
    const rt = new RichText({ text: s });
    return { graphemes: rt.graphemeLength, utf8_bytes: rt.length };
  }],
  ['bsky_facets', (s) => {
    const rt = new RichText({ text: s });
    rt.detectFacetsWithoutResolution();
    return rt.facets ? JSON.parse(JSON.stringify(rt.facets)) : [];
  }],
];

function measure(s) {
  const out = { text: s };
  if (typeof s !== 'string') {
    out.error = `input: expected a string, got ${s === null ? 'null' : typeof s}`;
    return out;
  }
  const errors = [];
  for (const [name, fn] of PARTS) {
    try {
      out[name] = fn(s);
    } catch (err) {
      errors.push(`${name}: ${err && err.message ? err.message : String(err)}`);
    }
  }
  if (errors.length) out.error = errors.join('; ');
  return out;
}

function main() {
  if (process.argv.includes('--versions')) {
    process.stdout.write(JSON.stringify(versions()) + '\n');
    return;
  }
  const chunks = [];
  process.stdin.on('data', (c) => chunks.push(c));
  process.stdin.on('end', () => {
    let input;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      process.stderr.write(`measure.js: stdin is not valid JSON: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    if (!Array.isArray(input)) {
      process.stderr.write('measure.js: stdin must be a JSON array of strings\n');
      process.exitCode = 2;
      return;
    }
    const results = input.map(measure);
    process.stdout.write(JSON.stringify(results) + '\n');
  });
}

main();
