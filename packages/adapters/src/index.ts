// Public API of @anymesh/adapters (work in progress).
export {};
