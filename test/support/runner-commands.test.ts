/** The runner's view of a step's output (test/support/runner-commands.ts), which the VM and
 *  security tests use to find workflow commands in what the instance printed. */
import { describe, expect, it } from '@jest/globals';
import { runnerCommands } from './runner-commands.js';

describe('runnerCommands', () => {
  it('finds `::` at the start of a line after any whitespace, NEL and no-break space included', () => {
    const out = [
      'plain text',
      '::set-output name=ami-id::evil',
      '   ::add-mask::x',
      '\u0085::warning::nel',
      '\u00a0\u2003::error::spaces',
      '\t::debug::tab',
      '[   52.9] cloud-init[450]: ::set-output name=a::b', // not at the start: plain text
      '\u200b::set-output name=a::zero-width', // U+200B is not whitespace: plain text
    ].join('\n');
    expect(runnerCommands(out)).toEqual([
      '::set-output name=ami-id::evil',
      '   ::add-mask::x',
      '\u0085::warning::nel',
      '\u00a0\u2003::error::spaces',
      '\t::debug::tab',
    ]);
  });

  it('finds `##[` anywhere in a line, and splits lines at \\r as the runner does', () => {
    expect(runnerCommands('booting ##[set-output name=ami-id;]evil\nok\rx ##[add-mask]y\r\nend')).toEqual([
      'booting ##[set-output name=ami-id;]evil',
      'x ##[add-mask]y',
    ]);
  });

  it('ignores everything between ::stop-commands::T and ::T::, and sees what follows', () => {
    const out = [
      '::stop-commands::tok123',
      '::set-output name=ami-id::evil',
      'x ##[add-mask]y',
      '::guess::',
      '  ::tok123::  ',
      '::endgroup::',
    ].join('\n');
    expect(runnerCommands(out)).toEqual(['::stop-commands::tok123', '  ::tok123::  ', '::endgroup::']);
  });

  it('a block that is never closed hides the rest; an empty token stops nothing', () => {
    expect(runnerCommands('::stop-commands::t\n::add-mask::x')).toEqual(['::stop-commands::t']);
    expect(runnerCommands('::stop-commands::\n::add-mask::x')).toEqual([
      '::stop-commands::',
      '::add-mask::x',
    ]);
  });
});
