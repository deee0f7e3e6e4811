import { join } from 'node:path';
import { describeGoldens } from '@flatnet/krm/testing';
import { makeValidateFunction } from '../src/function';

// A fixed date for waivers when a case's config gives none: goldens must not depend on the clock.
describeGoldens(makeValidateFunction(() => '2026-06-01'), join(__dirname, '..', 'testdata'));
