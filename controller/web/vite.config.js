// Stable asset names: the controller package lists every file it installs
// (packaging/files/sluice-controller.list), and the console is small enough to be served
// without long-lived caching.
export default {
  build: {
    assetsInlineLimit: 0,
    rollupOptions: {
      output: {
        entryFileNames: 'assets/console.js',
        chunkFileNames: 'assets/console-[name].js',
        assetFileNames: 'assets/console[extname]',
      },
    },
  },
};
