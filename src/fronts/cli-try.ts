export async function main(_args: string[]): Promise<number> {
  throw new Error('amibake try: not implemented yet');
}
