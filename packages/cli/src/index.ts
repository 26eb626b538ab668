// The CLI is run (main.ts), not imported: it has no public exports.
export {};
