#!/usr/bin/env node
// Entry point of the bundle dist/fn/generate-flat-network.js.
import { run } from '@flatnet/krm';
import { generateFlatNetworkFunction } from './function';

void run(generateFlatNetworkFunction);
