//! Sensitivity analysis: Morris elementary effects and Sobol indices (placeholder).
