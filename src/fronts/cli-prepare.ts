export async function main(_args: string[]): Promise<number> {
  throw new Error('amibake prepare: not implemented yet');
}
