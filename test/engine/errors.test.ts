/** Errors carry option keys; a front renders the names. */
import { describe, expect, test } from '@jest/globals';
import { OptionError, UserError, msg, named, opt, renderError } from '../../src/core/errors.js';
import { namesFor } from '../../src/pipeline/options.js';

describe('errors that name options', () => {
  const err = () => new UserError(msg`${opt('baseAmi')}: ami-1 not found in ${'us-east-1'}`);

  test('the default message names the key; each front renders its own name', () => {
    expect(err().message).toBe('baseAmi: ami-1 not found in us-east-1');
    expect(err().render(namesFor('cli', 'build'))).toBe('BUILDAMI_BASEAMI: ami-1 not found in us-east-1');
    expect(err().render(namesFor('action', 'build'))).toBe("input 'base-ami': ami-1 not found in us-east-1");
    expect(renderError(new Error('plain'), namesFor('cli', 'build'))).toBe('plain');
  });

  test("the action names another stage's input as that action's; the CLI names a positional argument", () => {
    expect(new UserError(msg`Prepare with ${opt('s3Url')}`).render(namesFor('action', 'build'))).toBe(
      "Prepare with action-prepare's input 's3-url'",
    );
    const required = new UserError(msg`${opt('targetName', 'NAME')}: is required`);
    expect(required.render(namesFor('cli', 'build'))).toBe(
      'BUILDAMI_TARGETNAME (or the NAME argument): is required',
    );
    expect(required.render(namesFor('action', 'build'))).toBe("input 'target-name': is required");
  });

  test('an option error renders every problem; text appended later stays', () => {
    const e = new OptionError([msg`${opt('subnet')}: bad`, 'vars.env: broken']).append('\nleft: i-1');
    expect(e.message).toBe('invalid options:\n  subnet: bad\n  vars.env: broken\nleft: i-1');
    named(e, namesFor('cli', 'build'));
    expect(e.message).toBe('invalid options:\n  BUILDAMI_SUBNET: bad\n  vars.env: broken\nleft: i-1');
    expect(e.problems).toEqual(['BUILDAMI_SUBNET: bad', 'vars.env: broken']);
  });
});
