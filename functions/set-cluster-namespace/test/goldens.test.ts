import { join } from 'node:path';
import { describeGoldens } from '@flatnet/krm/testing';
import { setClusterNamespaceFunction } from '../src/function';

describeGoldens(setClusterNamespaceFunction, join(__dirname, '..', 'testdata'));
