// Guest scripts are bundled as text (scripts/bundle.mjs serves them to ncc as string modules; a jest transform in tests).
declare module '*.sh' {
  const content: string;
  export default content;
}
