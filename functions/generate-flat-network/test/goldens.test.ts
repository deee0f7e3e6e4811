import { join } from 'node:path';
import { describeGoldens } from '@flatnet/krm/testing';
import { generateFlatNetworkFunction } from '../src/function';

describeGoldens(generateFlatNetworkFunction, join(__dirname, '..', 'testdata'));
