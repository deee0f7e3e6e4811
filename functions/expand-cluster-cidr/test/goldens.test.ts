import { join } from 'node:path';
import { describeGoldens } from '@flatnet/krm/testing';
import { expandClusterCidrFunction } from '../src/function';

describeGoldens(expandClusterCidrFunction, join(__dirname, '..', 'testdata'));
