fn main() {
    podlab_web::run();
}
