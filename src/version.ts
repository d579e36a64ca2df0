/** Version of this ncg build (reported by `ncg --version` and the ncg_build_info metric). */
export const NCG_VERSION = '0.1.0';
