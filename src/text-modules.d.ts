// Guest scripts are bundled as text (esbuild `text` loader, a jest transform in tests).
declare module '*.sh' {
  const content: string;
  export default content;
}
