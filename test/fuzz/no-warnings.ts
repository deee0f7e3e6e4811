/**
 * A library warning goes to stderr through process.emitWarning, beside flatnet's one line: none
 * may. Call at the top of a suite; every test then fails on any process warning.
 */
export function failOnProcessWarnings(): void {
  let warnings: jest.SpyInstance;
  beforeEach(() => {
    warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterEach(() => {
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
  });
}
