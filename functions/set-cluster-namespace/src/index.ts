#!/usr/bin/env node
// Entry point of the bundle dist/fn/set-cluster-namespace.js.
import { run } from '@flatnet/krm';
import { setClusterNamespaceFunction } from './function';

void run(setClusterNamespaceFunction);
