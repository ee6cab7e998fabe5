// Jest transform for files the bundle imports as text (esbuild's `text` loader): guest shell scripts.
module.exports = {
  process(src) {
    return { code: `export default ${JSON.stringify(src)};` };
  },
};
