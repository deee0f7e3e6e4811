import { join } from 'node:path';
import { describeGoldens } from '@flatnet/krm/testing';
import { injectPeerLabelsFunction } from '../src/function';

describeGoldens(injectPeerLabelsFunction, join(__dirname, '..', 'testdata'));
