export async function main(_args: string[]): Promise<number> {
  throw new Error('amibake sweep: not implemented yet');
}
