"""Can Tho STI Observatory: sourced indicator data and analysis."""
