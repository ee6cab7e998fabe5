/** Summary rows of the image settings applied to the finished AMIs. */
import type { ImageSettings, SettingsReport } from './settings.js';

export const sharedWith = (s: ImageSettings): string[] => [
  ...s.accounts,
  ...s.organizations,
  ...s.ous,
  ...(s.public ? ['PUBLIC'] : []),
];

export function settingsText(reports: SettingsReport[], s: ImageSettings): [string, string][] {
  const rows: [string, string][] = [];
  const shared = sharedWith(s);
  if (shared.length)
    rows.push([
      'Shared with',
      `${shared.join(', ')} (${reports.filter((r) => r.sharedWith.length).length} of ${reports.length} AMIs)`,
    ]);
  const snaps = reports.filter((r) => r.snapshotsSharedWith.length);
  if (snaps.length)
    rows.push([
      'Snapshots shared',
      `with ${s.accounts.join(', ')} in ${snaps.map((r) => r.region).join(', ')}`,
    ]);
  rows.push([
    'IMDSv2 required',
    s.imdsV2 ? `yes (${reports.filter((r) => r.imdsV2).length} of ${reports.length} AMIs)` : 'no (opted out)',
  ]);
  const dep = reports.find((r) => r.deprecateAt);
  if (dep) rows.push(['Deprecation', dep.deprecateAt!]);
  if (s.protection !== 'false')
    rows.push([
      'Deregistration protection',
      `${s.protection === 'cooldown' ? 'on, with cooldown' : 'on'} (${reports.filter((r) => r.protection).length} of ${reports.length} AMIs)`,
    ]);
  return rows;
}
