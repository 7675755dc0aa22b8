//! A sheet's cells as a sparse grid: only non-blank rows, each with its non-empty cells.
//! Blank rows are never materialised, so a sheet with a value at row 1 000 001 costs as much
//! as one with a value at row 2.

use super::Cell;

/// One non-blank row: its 0-based index and its non-empty cells sorted by column.
#[derive(Debug, Clone)]
pub(crate) struct GridRow {
    /// 0-based row index in the sheet.
    pub row: u32,
    /// Non-empty cells, sorted by 0-based column, no duplicates.
    pub cells: Vec<(u32, Cell)>,
}

impl GridRow {
    /// The cell in a column (`Empty` when the row has nothing there).
    pub fn get(&self, col: u32) -> &Cell {
        match self.cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) => &self.cells[i].1,
            Err(_) => &Cell::Empty,
        }
    }

    /// Puts a cell in a column (replacing what was there), keeping the columns sorted.
    pub fn set(&mut self, col: u32, cell: Cell) {
        match self.cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) => self.cells[i].1 = cell,
            Err(i) => self.cells.insert(i, (col, cell)),
        }
    }

    /// Moves the cell of a column out of the row (leaving `Empty`).
    pub fn take(&mut self, col: u32) -> Cell {
        match self.cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) => std::mem::replace(&mut self.cells[i].1, Cell::Empty),
            Err(_) => Cell::Empty,
        }
    }
}

/// The non-blank rows of a sheet, in row order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    /// Non-blank rows, sorted by row index.
    pub rows: Vec<GridRow>,
}

/// Builds a grid from cells as a reader yields them, straight into its rows: readers deliver
/// a sheet in row order almost always, and then no list of every cell of the sheet is ever
/// held besides the grid. Cells out of order are put in order once, at the end.
#[derive(Debug)]
pub(crate) struct GridBuilder {
    /// The rows so far, in arrival order.
    rows: Vec<GridRow>,
    /// Whether every cell so far came after the one before it (row, then column).
    in_order: bool,
}

impl Default for GridBuilder {
    fn default() -> Self {
        GridBuilder {
            rows: Vec::new(),
            in_order: true,
        }
    }
}

impl GridBuilder {
    /// Adds a cell; an empty one is dropped, and of two cells at one position the first wins.
    pub fn push(&mut self, row: u32, col: u32, cell: Cell) {
        if cell.is_empty() {
            return;
        }
        match self.rows.last_mut() {
            Some(last) if last.row == row => {
                match last.cells.last() {
                    Some((c, _)) if *c == col => return,
                    Some((c, _)) if *c > col => self.in_order = false,
                    _ => {}
                }
                last.cells.push((col, cell));
            }
            last => {
                match last {
                    Some(last) if last.row > row => self.in_order = false,
                    // The row before is complete: give back what its growth left over.
                    Some(last) => last.cells.shrink_to_fit(),
                    None => {}
                }
                self.rows.push(GridRow {
                    row,
                    cells: vec![(col, cell)],
                });
            }
        }
    }

    /// The grid of the cells pushed.
    pub fn finish(self) -> Grid {
        if self.in_order {
            return Grid { rows: self.rows };
        }
        // Arrival order, so that the first of two cells at one position still wins.
        Grid::from_cells(
            self.rows
                .into_iter()
                .flat_map(|r| r.cells.into_iter().map(move |(c, cell)| (r.row, c, cell))),
        )
    }
}

impl Grid {
    /// Builds a grid from cells in any order; empty cells are dropped, and of two cells at the
    /// same position the first wins.
    pub fn from_cells(cells: impl IntoIterator<Item = (u32, u32, Cell)>) -> Grid {
        let mut cells: Vec<(u32, u32, Cell)> = cells
            .into_iter()
            .filter(|(_, _, c)| !c.is_empty())
            .collect();
        // Readers deliver row order almost always; a stable sort is then a linear check.
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        let mut rows: Vec<GridRow> = Vec::new();
        for (r, c, cell) in cells {
            match rows.last_mut() {
                Some(last) if last.row == r => {
                    if last.cells.last().is_some_and(|(lc, _)| *lc == c) {
                        continue;
                    }
                    last.cells.push((c, cell));
                }
                _ => rows.push(GridRow {
                    row: r,
                    cells: vec![(c, cell)],
                }),
            }
        }
        Grid { rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_rows() {
        let g = Grid::from_cells([
            (5, 1, Cell::Int(2)),
            (0, 0, Cell::Text("a".into())),
            (5, 0, Cell::Int(1)),
            (3, 0, Cell::Empty),
            (1_000_000, 0, Cell::Int(3)),
        ]);
        assert_eq!(g.rows.len(), 3);
        assert_eq!(g.rows[1].row, 5);
        assert_eq!(g.rows[1].get(0), &Cell::Int(1));
        assert_eq!(g.rows[1].get(7), &Cell::Empty);
    }

    /// The grid's content, for comparing two grids.
    fn content(g: &Grid) -> Vec<(u32, Vec<(u32, Cell)>)> {
        g.rows.iter().map(|r| (r.row, r.cells.clone())).collect()
    }

    fn built(cells: &[(u32, u32, Cell)]) -> Grid {
        let mut b = GridBuilder::default();
        for (r, c, cell) in cells.iter().cloned() {
            b.push(r, c, cell);
        }
        b.finish()
    }

    #[test]
    fn a_grid_built_as_cells_come_equals_one_sorted_afterwards() {
        let text = |s: &str| Cell::Text(s.into());
        let in_order = [
            (0, 0, text("标题")),
            (2, 0, Cell::Int(1)),
            (2, 0, Cell::Int(9)),
            (2, 3, text("张三")),
            (2, 4, Cell::Empty),
            (7, 1, Cell::Int(2)),
        ];
        let shuffled = [
            (7, 1, Cell::Int(2)),
            (2, 3, text("张三")),
            (0, 0, text("标题")),
            (2, 0, Cell::Int(1)),
            (2, 4, Cell::Empty),
            (2, 0, Cell::Int(9)),
        ];
        for cells in [&in_order[..], &shuffled[..]] {
            let grid = built(cells);
            assert_eq!(content(&grid), content(&Grid::from_cells(cells.to_vec())));
            // Of two cells at one position the first wins; empty cells are dropped.
            assert_eq!(grid.rows[1].get(0), &Cell::Int(1));
            assert_eq!(grid.rows[1].cells.len(), 2);
        }
    }
}
