// Public API of @anymesh/ui (work in progress).
export {};
