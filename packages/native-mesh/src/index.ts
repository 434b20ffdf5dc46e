// Public API of @anymesh/native-mesh (work in progress).
export {};
