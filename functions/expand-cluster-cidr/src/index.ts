#!/usr/bin/env node
// Entry point of the bundle dist/fn/expand-cluster-cidr.js.
import { run } from '@flatnet/krm';
import { expandClusterCidrFunction } from './function';

void run(expandClusterCidrFunction);
