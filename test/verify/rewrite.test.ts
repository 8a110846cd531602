import { describe, expect, it } from 'vitest';
import { dockerfileImages, rewriteDockerfile } from '../../src/verify/rewrite.js';
import type { ImageMap } from '../../src/images/image-map.js';

const DOCKERFILE = [
  'ARG BASE=python:3.11-slim',
  'FROM python:3.11-slim AS deps',
  'RUN pip install x',
  'FROM ${BASE} AS argform',
  'FROM --platform=$BUILDPLATFORM golang:1.22 as build',
  'COPY --from=deps /a /a',
  'COPY --from=busybox:1.36 /bin/sh /sh',
  'FROM build AS test',
  'FROM scratch',
  'FROM gcr.io/distroless/static-debian12:nonroot',
  'COPY --from=build /out /out',
].join('\n');

describe('image-map rewrite of Dockerfiles', () => {
  it('lists the images every stage pulls, not stage names, scratch or ARG-built references', () => {
    expect(dockerfileImages(DOCKERFILE)).toEqual(['python:3.11-slim', 'golang:1.22', 'gcr.io/distroless/static-debian12:nonroot']);
  });

  it('maps every FROM image and COPY --from image, leaving stages, scratch and ARG forms alone', () => {
    const map: ImageMap = { overrides: {
      'python:3.11-slim': 'stackgen.local/python:3.11',
      'golang:1.22': 'stackgen.local/golang:1.23',
      'gcr.io/distroless/static-debian12:nonroot': 'stackgen.local/distroless-static:nonroot',
      'busybox:1.36': 'mirror.local/busybox:1.36',
    } };
    const out = rewriteDockerfile(DOCKERFILE, map).split('\n');
    expect(out[1]).toBe('FROM stackgen.local/python:3.11 AS deps');
    expect(out[3]).toBe('FROM ${BASE} AS argform');
    expect(out[4]).toBe('FROM --platform=$BUILDPLATFORM stackgen.local/golang:1.23 as build');
    expect(out[5]).toBe('COPY --from=deps /a /a');
    expect(out[6]).toBe('COPY --from=mirror.local/busybox:1.36 /bin/sh /sh');
    expect(out[7]).toBe('FROM build AS test');
    expect(out[8]).toBe('FROM scratch');
    expect(out[9]).toBe('FROM stackgen.local/distroless-static:nonroot');
    expect(out[10]).toBe('COPY --from=build /out /out');
  });
});
