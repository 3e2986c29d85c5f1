//! The book's tables for Python analysts: an object implementing the Arrow
//! PyCapsule stream interface (`__arrow_c_stream__`), so pyarrow, polars and
//! DuckDB read the batches without poolbook depending on any of them; the
//! same batches as a dict of Python lists for `poolbook.frames`; Parquet.

use std::sync::Arc;

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::types::Int8Type;
use arrow_array::{
    Array, BooleanArray, Date32Array, Decimal128Array, DictionaryArray, Float64Array, Int64Array,
    ListArray, RecordBatchReader, StringArray, TimestampMicrosecondArray, UInt32Array,
};
use poolbook::{ArrowBatches, ArrowTable, Book, CustomerId, Error};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyList};

/// One table of a book as a stream of Arrow record batches, read lazily.
/// Each `__arrow_c_stream__` call reads the table afresh (DuckDB asks once
/// for the schema and again for the rows).
#[pyclass(module = "poolbook._native", name = "ArrowStream", frozen)]
pub struct ArrowStream {
    book: Arc<Book>,
    customer_id: Option<CustomerId>,
    table: ArrowTable,
}

/// The table named `table`, or a ValidationError naming it.
pub fn table(name: &str) -> Result<ArrowTable, Error> {
    name.parse::<ArrowTable>().map_err(|_| {
        let known: Vec<&str> = ArrowTable::ALL.iter().map(|t| t.as_str()).collect();
        Error::invalid(
            "table",
            format!(
                "\"{name}\" is not a table; expected one of: {}",
                known.join(", ")
            ),
        )
    })
}

/// A stream over `table` of `book`, for one customer if `customer_id` is given.
pub fn stream(book: Arc<Book>, table: ArrowTable, customer_id: Option<CustomerId>) -> ArrowStream {
    ArrowStream {
        book,
        customer_id,
        table,
    }
}

#[pymethods]
impl ArrowStream {
    /// The Arrow PyCapsule stream interface: hands the batches over as an
    /// `ArrowArrayStream` in a capsule named `arrow_array_stream`, a new
    /// read of the table each call. A requested schema is not honoured (the
    /// batches have one schema).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let mut reader = poolbook::arrow_batches(Arc::clone(&self.book), self.table);
        if let Some(id) = self.customer_id {
            reader = reader.for_customer(id);
        }
        let stream =
            FFI_ArrowArrayStream::new(Box::new(reader) as Box<dyn RecordBatchReader + Send>);
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The table's name.
    #[getter]
    fn table(&self) -> &'static str {
        self.table.as_str()
    }

    fn __repr__(&self) -> String {
        format!("<poolbook ArrowStream of {}>", self.table.as_str())
    }
}

/// Every batch of `reader` as one dict of Python lists (column name →
/// list): instants as microseconds since the epoch (UTC), days as days
/// since the epoch, money as decimal text, dictionary words as text.
pub fn columns<'py>(
    py: Python<'py>,
    reader: ArrowBatches<Arc<Book>>,
) -> PyResult<Bound<'py, PyDict>> {
    let schema = reader.schema();
    let batches = py
        .detach(|| reader.collect::<Result<Vec<_>, _>>())
        .map_err(|error| PyValueError::new_err(error.to_string()))?;
    let dict = PyDict::new(py);
    for (index, field) in schema.fields().iter().enumerate() {
        let list = PyList::empty(py);
        for batch in &batches {
            append(py, &list, batch.column(index).as_ref())?;
        }
        dict.set_item(field.name(), list)?;
    }
    Ok(dict)
}

fn append(py: Python<'_>, list: &Bound<'_, PyList>, array: &dyn Array) -> PyResult<()> {
    let any = array.as_any();
    macro_rules! each {
        ($ty:ty, $convert:expr) => {
            if let Some(typed) = any.downcast_ref::<$ty>() {
                for index in 0..typed.len() {
                    if typed.is_null(index) {
                        list.append(py.None())?;
                    } else {
                        list.append($convert(typed, index))?;
                    }
                }
                return Ok(());
            }
        };
    }
    each!(StringArray, |a: &StringArray, i| a.value(i).to_owned());
    each!(
        TimestampMicrosecondArray,
        |a: &TimestampMicrosecondArray, i| a.value(i)
    );
    each!(Float64Array, |a: &Float64Array, i| a.value(i));
    each!(Int64Array, |a: &Int64Array, i| a.value(i));
    each!(UInt32Array, |a: &UInt32Array, i| a.value(i));
    each!(BooleanArray, |a: &BooleanArray, i| a.value(i));
    each!(Date32Array, |a: &Date32Array, i| a.value(i));
    each!(Decimal128Array, |a: &Decimal128Array, i| a
        .value_as_string(i));
    if let Some(typed) = any.downcast_ref::<DictionaryArray<Int8Type>>() {
        let words = typed
            .values()
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(|| PyValueError::new_err("a dictionary column without text values"))?;
        for key in typed.keys().iter() {
            match key {
                Some(key) => list.append(words.value(key as usize))?,
                None => list.append(py.None())?,
            }
        }
        return Ok(());
    }
    if let Some(typed) = any.downcast_ref::<ListArray>() {
        for index in 0..typed.len() {
            let inner = typed.value(index);
            let words = inner
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| PyValueError::new_err("a list column without text values"))?;
            let items: Vec<&str> = words.iter().map(|w| w.unwrap_or_default()).collect();
            list.append(items)?;
        }
        return Ok(());
    }
    Err(PyValueError::new_err(format!(
        "a column of type {} has no Python form",
        array.data_type()
    )))
}
