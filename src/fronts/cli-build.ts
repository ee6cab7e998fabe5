export async function main(_args: string[]): Promise<number> {
  throw new Error('amibake build: not implemented yet');
}
