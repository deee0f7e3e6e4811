#!/usr/bin/env node
// Entry point of the bundle dist/fn/inject-peer-labels.js.
import { run } from '@flatnet/krm';
import { injectPeerLabelsFunction } from './function';

void run(injectPeerLabelsFunction);
